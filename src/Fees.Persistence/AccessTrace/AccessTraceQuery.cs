using System.Text;
using Fees.Domain.Accounts;
using Fees.Persistence.Queries;
using Npgsql;

namespace Fees.Persistence.AccessTrace;

/// <summary>What an auditor asks of the access trace; every field optional but the limit (1–1,000).</summary>
public sealed record AccessTraceFilter(string? Member, string? User, string? Action, DateTimeOffset? From, DateTimeOffset? To, int Limit);

/// <summary>One row of the access trace as auditors read it.</summary>
public sealed record AccessTraceRow(
    long Id, DateTimeOffset At, string Username, string? Role, string Action, string? TargetType, string? Target,
    string? OrgPath, string? ProvinceCode, string? ClientAddress, string? RequestId, int? Status);

/// <summary>Reads the access trace, newest first: an admin reads every row, anyone else the rows about their subtree.</summary>
public sealed class AccessTraceQuery(NpgsqlDataSource dataSource)
{
    public const int MaxLimit = 1000;

    public async Task<IReadOnlyList<AccessTraceRow>> Read(AccessTraceFilter filter, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentOutOfRangeException.ThrowIfLessThan(filter.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(filter.Limit, MaxLimit);

        await using var cmd = dataSource.CreateCommand();
        var sql = new StringBuilder("""
            select id, at, username, role, action, target_type, target, org_path, province_code, host(client_address), request_id, status
            from access_trace where true
            """);
        if (!actor.IsAdmin)
        {
            // A row with no organization (a sign-in as an unknown user, the built-in admin) is for admins only.
            sql.Append(" and org_path like @scope escape '\\'");
            cmd.Parameters.Add(new NpgsqlParameter<string>("scope", Scopes.EscapeLike(actor.ScopePrefix) + "%"));
        }
        if (filter.Member is not null)
        {
            sql.Append(" and target_type = 'member' and target = @member");
            cmd.Parameters.Add(new NpgsqlParameter<string>("member", filter.Member));
        }
        if (filter.User is not null)
        {
            sql.Append(" and username = @user");
            cmd.Parameters.Add(new NpgsqlParameter<string>("user", filter.User));
        }
        if (filter.Action is not null)
        {
            sql.Append(" and action = @action");
            cmd.Parameters.Add(new NpgsqlParameter<string>("action", filter.Action));
        }
        if (filter.From is { } from)
        {
            sql.Append(" and at >= @from");
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("from", from.ToUniversalTime()));
        }
        if (filter.To is { } to)
        {
            sql.Append(" and at < @to");
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("to", to.ToUniversalTime()));
        }
        sql.Append(" order by at desc, id desc limit @limit");
        cmd.Parameters.Add(new NpgsqlParameter<int>("limit", filter.Limit));
        cmd.CommandText = sql.ToString();

        var rows = new List<AccessTraceRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new AccessTraceRow(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetInt16(11)));
        }
        return rows;
    }
}
