using System.Diagnostics;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Spectre.Console;

namespace AnSinh.Bench;

/// <summary>
/// Registry search at national scale: N people (default 6,000,000) over the 3,321 real communes, each with an
/// enrolment, then the app's own search (RegistryQueries.SearchAsync) timed for each kind of query an office runs.
/// </summary>
public static class SearchScale
{
    public sealed record Row(string Kind, int Runs, double P50, double P95, double Max, int Hits);

    public static async Task<string> PrepareAsync(string server, int people, bool reuse)
    {
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = "searchbench", CommandTimeout = 0 }.ConnectionString;
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            var exists = await new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'searchbench'", admin).ExecuteScalarAsync() is not null;
            if (exists && reuse)
            {
                await using var existing = NpgsqlDataSource.Create(cs);
                await Migrator.MigrateAsync(existing, Migration.Embedded());
                return cs;
            }

            if (exists)
            {
                await new NpgsqlCommand("DROP DATABASE searchbench", admin).ExecuteNonQueryAsync();
            }

            await new NpgsqlCommand("CREATE DATABASE searchbench", admin).ExecuteNonQueryAsync();
        }

        await using var ds = NpgsqlDataSource.Create(cs);
        await Migrator.MigrateAsync(ds, Migration.Embedded());
        await PlaceLoader.LoadAsync(ds);
        var chunk = 500_000;
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"Loading {people:N0} people", maxValue: people);
            await using var conn = await ds.OpenConnectionAsync();
            // A bulk load builds secondary indexes once at the end instead of maintaining them row by row.
            await Exec(conn, """
                DROP INDEX person_search_name_trgm_idx, person_name_vi_idx, person_scope_idx, enrolment_scope_idx, enrolment_one_open_idx, enrolment_open_categories_idx;
                DO $$ DECLARE i text; BEGIN FOR i IN SELECT indexname FROM pg_indexes WHERE indexname LIKE 'person_trgm_%' LOOP EXECUTE 'DROP INDEX ' || i; END LOOP; END $$;
                ALTER TABLE enrolment DROP CONSTRAINT enrolment_no_overlap;
                SET maintenance_work_mem = '2GB';
                """);
            for (var from = 0; from < people; from += chunk)
            {
                var to = Math.Min(people, from + chunk);
                await Exec(conn, $"""
                    WITH c AS (SELECT array_agg(code ORDER BY code) AS codes, array_agg(province_code ORDER BY code) AS provinces FROM commune),
                    n AS (SELECT
                      ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Huỳnh','Phan','Vũ','Võ','Đặng','Bùi','Đỗ','Hồ','Ngô','Dương','Lý','Ma','Nông','Hà','Lường','Đinh','Lò','Triệu','Sầm'] AS last,
                      ARRAY['Văn','Thị','Đức','Ngọc','Minh','Thu','Quang','Thanh','Hữu','Kim'] AS mid,
                      ARRAY['An','Bình','Cường','Dũng','Giang','Hà','Hải','Hoa','Hùng','Lan','Linh','Mai','Nam','Nga','Phương','Quân','Sơn','Tâm','Thảo','Tuấn','Xuân','Yến','Khuê','Lộc','Nhung','Oanh','Phúc','Quế','Sáu','Tú'] AS first)
                    INSERT INTO person (citizen_id, full_name, birth_date, sex, province_code, commune_code)
                    SELECT '9' || lpad(g::text, 11, '0'),
                           n.last[1 + ((g * 7919) % array_length(n.last, 1))::int] || ' ' || n.mid[1 + ((g * 104729) % array_length(n.mid, 1))::int] || ' ' || n.first[1 + ((g * 15485863) % array_length(n.first, 1))::int],
                           date '1930-01-01' + ((g * 2654435761) % 27000)::int,
                           (g % 2)::smallint,
                           c.provinces[1 + ((g * 48271) % 3321)::int], c.codes[1 + ((g * 48271) % 3321)::int]
                    FROM generate_series({from + 1}::bigint, {to}::bigint) g, c, n;
                    INSERT INTO enrolment (person_id, province_code, commune_code, programme, categories, status, start_month)
                    SELECT p.id, p.province_code, p.commune_code, 'social_assistance',
                           (SELECT CASE k WHEN '4+6' THEN jsonb_build_array(jsonb_build_object('code', '4', 'children', 2), jsonb_build_object('code', '6', 'severity', 'severe'))
                                   WHEN '6' THEN jsonb_build_array(jsonb_build_object('code', '6', 'severity', 'severe'))
                                   WHEN '4' THEN jsonb_build_array(jsonb_build_object('code', '4', 'children', 1))
                                   ELSE jsonb_build_array(jsonb_build_object('code', k)) END
                            FROM (SELECT (ARRAY['1','4','5a','5b','5c','6','6','4+6','8'])[1 + (p.id % 9)::int] AS k) x),
                           CASE WHEN p.id % 50 = 0 THEN 'suspended' ELSE 'active' END, date '2024-07-01'
                    FROM person p WHERE p.id > {from} AND p.id <= {to};
                    """);
                task.Value = to;
            }

            var sw = Stopwatch.StartNew();
            await Exec(conn, """
                CREATE INDEX person_search_name_trgm_idx ON person USING gin (search_name gin_trgm_ops);
                CREATE INDEX enrolment_open_categories_idx ON enrolment USING gin (province_code, categories jsonb_path_ops) WHERE end_month IS NULL AND superseded_at IS NULL;
                CREATE INDEX person_name_vi_idx ON person (province_code, (full_name COLLATE "vi-x-icu"));
                CREATE INDEX person_scope_idx ON person (province_code, commune_code);
                CREATE INDEX enrolment_scope_idx ON enrolment (province_code, commune_code, status);
                CREATE UNIQUE INDEX enrolment_one_open_idx ON enrolment (person_id, programme) WHERE end_month IS NULL AND superseded_at IS NULL;
                ALTER TABLE enrolment ADD CONSTRAINT enrolment_no_overlap EXCLUDE USING gist (
                    person_id WITH =, programme WITH =, daterange(start_month, end_month, '[]') WITH &&) WHERE (superseded_at IS NULL);
                """);
            // The per-province trigram indexes, as migration 0008 makes them.
            // (Only its per-province part: its category index was replaced by migration 0009's, made above.)
            var perProvince = Migration.Embedded().Single(m => m.Version == 8).Sql;
            await Exec(conn, perProvince[..perProvince.IndexOf("-- Open enrolments", StringComparison.Ordinal)] + "; ANALYZE;");
            AnsiConsole.WriteLine($"indexes and constraints rebuilt, tables analysed in {sw.Elapsed.TotalSeconds:F0} s");
        });
        return cs;
    }

    public static async Task<IReadOnlyList<Row>> RunAsync(string cs, int runs)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(cs).Options;
        await using var db = new AppDbContext(options, new AnSinh.Web.Audit.AuditContext(new Microsoft.AspNetCore.Http.HttpContextAccessor()), TimeProvider.System);
        var provinceOfficer = new UserScope(ScopeLevel.Province, "19", null);
        var commune = await db.People.Where(p => p.ProvinceCode == "19").Select(p => p.CommuneCode).FirstAsync();
        var communeOfficer = new UserScope(ScopeLevel.Commune, "19", commune);
        var national = new UserScope(ScopeLevel.All, null, null);
        var someId = await db.People.OrderBy(p => p.Id).Skip(3_000_000 % Math.Max(1, await db.People.CountAsync())).Select(p => p.CitizenId).FirstAsync();
        var kinds = new (string Kind, UserScope Scope, SearchRequest Request)[]
        {
            ("province: common name 'nguyen van an'", provinceOfficer, new SearchRequest("nguyen van an", null, null, null, null)),
            ("province: rare name 'sam kim oanh'", provinceOfficer, new SearchRequest("sam kim oanh", null, null, null, null)),
            ("province: part of a name 'khue'", provinceOfficer, new SearchRequest("khue", null, null, null, null)),
            ("province: list, sorted, page 1", provinceOfficer, new SearchRequest(null, null, null, null, null)),
            ("province: list, sorted, page 50", provinceOfficer, new SearchRequest(null, null, null, null, null, Page: 50)),
            ("province: category 5a, suspended", provinceOfficer, new SearchRequest(null, null, null, "5a", "suspended")),
            ("commune: list, sorted", communeOfficer, new SearchRequest(null, null, null, null, null)),
            ("commune: name 'thi'", communeOfficer, new SearchRequest("thi", null, null, null, null)),
            ("national: citizen ID", national, new SearchRequest(null, someId, null, null, null)),
            ("national: name 'tran thi hoa'", national, new SearchRequest("tran thi hoa", null, null, null, null)),
        };
        var rows = new List<Row>();
        foreach (var (kind, scope, request) in kinds)
        {
            for (var i = 0; i < 3; i++)
            {
                await RegistryQueries.SearchAsync(db, scope, request, CancellationToken.None);
            }

            var times = new List<double>(runs);
            var hits = 0;
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                var page = await RegistryQueries.SearchAsync(db, scope, request, CancellationToken.None);
                times.Add(sw.Elapsed.TotalMilliseconds);
                hits = page.Items.Count;
            }

            times.Sort();
            rows.Add(new Row(kind, runs, times[runs / 2], times[(int)Math.Ceiling(runs * 0.95) - 1], times[^1], hits));
        }

        return rows;
    }

    private static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }
}
