using System.Xml.Linq;
using AnSinh.Web.Database;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AnSinh.Web.Security;

/// <summary>The data-protection key ring in the deployment's own database (table data_protection_key).</summary>
public sealed class DatabaseKeyRepository(DatabaseConnection database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var cmd = database.DataSource.CreateCommand("SELECT xml FROM data_protection_key ORDER BY id");
        using var reader = cmd.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var cmd = database.DataSource.CreateCommand("INSERT INTO data_protection_key (friendly_name, xml) VALUES ($1, $2)");
        cmd.Parameters.AddWithValue(friendlyName);
        cmd.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        cmd.ExecuteNonQuery();
    }
}
