using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Admin.Users;

/// <summary>A new staff account; approvers also carry the title printed above their signature ("Chủ tịch", "Phó Chủ tịch").</summary>
public sealed record CreateUserRequest(string UserName, string FullName, string Role, string? ProvinceCode, string? CommuneCode, string Password, string? JobTitle = null, long? PayerId = null);

public sealed record UpdateUserRequest(string Id, string FullName, string Role, string? ProvinceCode, string? CommuneCode, bool IsDisabled, string? NewPassword, string? Reason, string ActingUserId, string? JobTitle = null);

/// <summary>Field errors keyed by the request's property name, in Vietnamese.</summary>
public sealed class FieldErrors : Dictionary<string, List<string>>
{
    public void Add(string field, string message)
    {
        if (!TryGetValue(field, out var list))
        {
            this[field] = list = [];
        }

        list.Add(message);
    }

    public override string ToString() => string.Join("; ", this.SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}")));
}

/// <summary>Creating and changing staff accounts: the pages and `users add` call these.</summary>
public static class UserCommands
{
    /// <summary>The scope must fit the role, and the places must exist (and the commune lie in the province).</summary>
    public static async Task<(string? Province, string? Commune)> CheckScopeAsync(AppDbContext db, string role, string? province, string? commune, FieldErrors errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(errors);
        province = string.IsNullOrWhiteSpace(province) ? null : province.Trim();
        commune = string.IsNullOrWhiteSpace(commune) ? null : commune.Trim();
        if (!Roles.All.Contains(role))
        {
            errors.Add("Role", Hosting.Texts.Get("Users.Err.Role", role, string.Join(", ", Roles.All)));
            return (province, commune);
        }

        switch (Roles.LevelOf(role))
        {
            case ScopeLevel.All:
                return (null, null);
            case ScopeLevel.Commune when commune is null:
                errors.Add("CommuneCode", Hosting.Texts.Get("Users.Err.CommuneNeeded"));
                return (province, commune);
            case ScopeLevel.Commune:
                var c = await db.Communes.AsNoTracking().FirstOrDefaultAsync(x => x.Code == commune, ct);
                if (c is null)
                {
                    errors.Add("CommuneCode", Hosting.Texts.Get("Registry.Err.NoCommune", commune));
                }
                else if (province is not null && province != c.ProvinceCode)
                {
                    errors.Add("CommuneCode", Hosting.Texts.Get("Users.Err.CommuneNotInProvince", c.Name, province));
                }

                return (c?.ProvinceCode ?? province, commune);
            default:
                if (province is null)
                {
                    errors.Add("ProvinceCode", Hosting.Texts.Get("Users.Err.ProvinceNeeded"));
                }
                else if (!await db.Provinces.AnyAsync(p => p.Code == province, ct))
                {
                    errors.Add("ProvinceCode", Hosting.Texts.Get("Users.Err.NoProvince", province));
                }

                return (province, null);
        }
    }

    public const int MaxTitleLength = 100;
    public const int MaxUserNameLength = 64;
    public const int MaxFullNameLength = 200;

    /// <summary>A staff member's name, cleaned as every name is and bounded.</summary>
    public static string? CheckFullName(string? name, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var clean = Core.People.FreeText.Clean(name);
        if (clean is null || clean.Length > MaxFullNameLength)
        {
            errors.Add("FullName", Hosting.Texts.Get("Users.Err.FullName", MaxFullNameLength));
        }

        return clean;
    }

    /// <summary>An approver signs decisions under a title, which is printed: it is required for them, and kept short.</summary>
    public static string? CheckTitle(string role, string? title, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        title = Core.People.FreeText.Clean(title);
        if (title is null && Roles.IsApprover(role))
        {
            errors.Add("JobTitle", Hosting.Texts.Get("Users.Err.TitleNeeded"));
        }
        else if (title?.Length > MaxTitleLength)
        {
            errors.Add("JobTitle", Hosting.Texts.Get("Users.Err.TitleLength", MaxTitleLength));
        }

        return title;
    }

    /// <summary>A payer clerk belongs to one payer of their province; nobody else belongs to a payer.</summary>
    public static async Task<long?> CheckPayerAsync(AppDbContext db, string role, string? province, long? payerId, FieldErrors errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(errors);
        if (role != Roles.PayerClerk)
        {
            if (payerId is not null)
            {
                errors.Add("PayerId", Hosting.Texts.Get("Users.Err.PayerOnlyClerk"));
            }

            return null;
        }

        if (payerId is null || !await db.Payers.AnyAsync(p => p.Id == payerId && p.ProvinceCode == province, ct))
        {
            errors.Add("PayerId", Hosting.Texts.Get("Users.Err.PayerNeeded"));
        }

        return payerId;
    }

    public static async Task<(AppUser? User, FieldErrors Errors)> CreateAsync(UserManager<AppUser> users, AppDbContext db, CreateUserRequest request, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.UserName) || request.UserName.Trim().Length > MaxUserNameLength)
        {
            errors.Add("UserName", Hosting.Texts.Get("Users.Err.UserName", MaxUserNameLength));
        }
        else if (await users.FindByNameAsync(request.UserName.Trim()) is not null)
        {
            errors.Add("UserName", Hosting.Texts.Get("Users.Err.UserNameTaken", request.UserName));
        }

        var fullName = CheckFullName(request.FullName, errors);

        var (province, commune) = await CheckScopeAsync(db, request.Role, request.ProvinceCode, request.CommuneCode, errors, ct);
        var title = CheckTitle(request.Role, request.JobTitle, errors);
        var payer = await CheckPayerAsync(db, request.Role, province, request.PayerId, errors, ct);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var user = new AppUser
        {
            UserName = request.UserName.Trim(),
            FullName = fullName!,
            Role = request.Role,
            JobTitle = title,
            ProvinceCode = province,
            CommuneCode = commune,
            PayerId = payer,
            CreatedAt = time.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, request.Password);
        foreach (var e in result.Errors)
        {
            errors.Add(e.Code.Contains("Password", StringComparison.Ordinal) ? "Password" : "UserName", e.Description);
        }

        return (result.Succeeded ? user : null, errors);
    }

    public static async Task<FieldErrors> UpdateAsync(UserManager<AppUser> users, AppDbContext db, UpdateUserRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var user = await users.FindByIdAsync(request.Id);
        if (user is null)
        {
            errors.Add("Id", Hosting.Texts.Get("Users.Err.NotFound"));
            return errors;
        }

        // An admin who disables or demotes their own account could leave nobody able to manage users.
        if (user.Id == request.ActingUserId && (request.IsDisabled || request.Role != user.Role))
        {
            errors.Add("Role", Hosting.Texts.Get("Users.Err.NotYourself"));
            return errors;
        }

        var (province, commune) = await CheckScopeAsync(db, request.Role, request.ProvinceCode, request.CommuneCode, errors, ct);
        var title = CheckTitle(request.Role, request.JobTitle, errors);
        var fullName = CheckFullName(request.FullName, errors);

        // All or nothing: the new password is validated before anything changes, and the account is saved once.
        var newPassword = string.IsNullOrEmpty(request.NewPassword) ? null : request.NewPassword;
        if (newPassword is not null)
        {
            foreach (var validator in users.PasswordValidators)
            {
                foreach (var e in (await validator.ValidateAsync(users, user, newPassword)).Errors)
                {
                    errors.Add("NewPassword", e.Description);
                }
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        db.Audit.Reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        var signInsEnd = newPassword is not null || user.Role != request.Role || user.ProvinceCode != province || user.CommuneCode != commune || user.IsDisabled != request.IsDisabled;
        // Leaving the payer clerk's role, or the payer's province, leaves the payer too.
        if (request.Role != Roles.PayerClerk || province != user.ProvinceCode)
        {
            user.PayerId = null;
        }

        user.FullName = fullName!;
        user.Role = request.Role;
        user.JobTitle = title;
        user.ProvinceCode = province;
        user.CommuneCode = commune;
        user.IsDisabled = request.IsDisabled;
        if (newPassword is not null)
        {
            user.PasswordHash = users.PasswordHasher.HashPassword(user, newPassword);
        }

        // A new password, a changed role or scope, or a disabled account ends existing sign-ins at the next check;
        // the new security stamp is saved with everything else, in one update.
        if (signInsEnd)
        {
            user.SecurityStamp = Guid.NewGuid().ToString("N");
        }

        foreach (var e in (await users.UpdateAsync(user)).Errors)
        {
            errors.Add("Id", e.Description);
        }

        return errors;
    }
}
