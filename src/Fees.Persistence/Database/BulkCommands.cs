using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// The time a bulk statement (an import's staging COPY, checks and merge; a dues generation's read, COPY and insert) may
/// take. Npgsql's default command timeout is 30 s: at a million members a single merge statement takes longer than that
/// on this machine (issue 12: <c>MemberImport</c> failed with "Timeout during reading attempt"), and a statement that
/// times out rolls back the whole all-or-nothing file. Interactive requests keep the connection's default; only the
/// bulk paths create their commands and COPYs through here.
/// </summary>
public static class BulkCommands
{
    /// <summary>Generous: a national file or run is minutes, not hours; a stuck one still ends.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public static int TimeoutSeconds => (int)Timeout.TotalSeconds;

    /// <summary>A command on <paramref name="connection"/> with the bulk timeout.</summary>
    public static NpgsqlCommand Command(string sql, NpgsqlConnection connection) =>
        new(sql, connection) { CommandTimeout = TimeoutSeconds };

    /// <summary>A binary COPY … FROM STDIN with the bulk timeout (the wait for the server's answer to the whole COPY).</summary>
    public static async Task<NpgsqlBinaryImporter> BeginCopy(NpgsqlConnection connection, string copyFromCommand, CancellationToken ct)
    {
        var copy = await connection.BeginBinaryImportAsync(copyFromCommand, ct);
        copy.Timeout = Timeout;
        return copy;
    }
}
