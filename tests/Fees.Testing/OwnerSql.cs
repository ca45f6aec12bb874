using System.Globalization;
using Npgsql;

namespace Fees.Testing;

/// <summary>What tests read straight from the database, as its owner (beside the service, never through it).</summary>
public static class OwnerSql
{
    /// <summary>One number: the first column of the first row.</summary>
    public static async Task<long> OwnerScalar(this FeesApp app, string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>An id → name map from a query of two columns (bigint, text).</summary>
    public static async Task<Dictionary<long, string>> OwnerNames(this FeesApp app, string sql)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var result = new Dictionary<long, string>();
        while (await reader.ReadAsync())
        {
            result[reader.GetInt64(0)] = reader.GetString(1);
        }
        return result;
    }
}
