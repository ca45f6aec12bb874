using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fees.DemoData;
using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.Database;
using Fees.Persistence.Dues;
using Fees.Persistence.Imports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fees.Bench;

/// <summary>A member who owes, and the account of the organization that collects from them.</summary>
/// <param name="Months">What each outstanding month charges, oldest first: the n-th payment pays the n-th month exactly.</param>
internal sealed record Payer(long MemberId, string Reference, string Bin, string Account, long[] Months);

/// <summary>
/// A generated province in a fresh database, through the service's own imports and dues generation (as office staff
/// would load it): organizations with bank accounts, members, income, and every period's statements from 2026-08 to
/// the current month. Then the members who owe, each with the account that collects from them.
/// </summary>
internal static class Province
{
    public static async Task<ServiceProvider> Services(DatabaseConnections connections, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddOptions();
        services.AddFeesPersistence(connections);
        more?.Invoke(services);
        await Task.CompletedTask;
        return services.BuildServiceProvider();
    }

    public static async Task Load(IServiceProvider provider, int members)
    {
        var sw = Stopwatch.StartNew();
        var current = VietnamTime.CurrentPeriod(TimeProvider.System);
        var generator = new DemoProvinceGenerator(new DemoProvinceOptions { Members = members, LastIncomePeriod = current });
        await Import(provider, ImportKind.Orgs, w => generator.WriteOrgs(w));
        await Import(provider, ImportKind.Members, w => generator.WriteMembers(w));
        await Import(provider, ImportKind.Income, w => generator.WriteIncome(w));
        int statements = 0;
        for (var period = Period.FirstOnSystem; period <= current; period = period.Next)
        {
            await using var scope = provider.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<DuesGeneration>().Generate(period, Actor.System, CancellationToken.None);
            statements += outcome.Succeeded ? outcome.Value.Created : throw new InvalidOperationException(outcome.Refusal.ToString());
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"province: {generator.OrgCount:N0} organizations, {generator.MemberCount:N0} members, {statements:N0} statements ({Period.FirstOnSystem}…{current}) loaded in {sw.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>
    /// Members whose outstanding statements are all charged, at one organization with a bank account (so a transfer of
    /// one month's amount pays exactly the oldest month), in a fixed shuffled order that spreads them over organizations.
    /// With <paramref name="limit"/>, only that many, picked by a hash of the member's id (spread over the nation, the
    /// same on every run), so that a national run does not hold millions of payers to book twenty thousand.
    /// </summary>
    public static async Task<List<Payer>> Payers(string ownerConnectionString, int? limit = null)
    {
        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select s.member_id, o.bank_bin, o.bank_account, array_agg(s.amount order by s.period, s.id)
            from dues_statements s join orgs o on o.id = s.org_id
            where s.status = any(@outstanding) and s.amount > s.paid and o.bank_account is not null
            group by s.member_id, o.bank_bin, o.bank_account
            having bool_and(s.status = @issued and s.amount > 0)
               and count(*) = (select count(*) from dues_statements x where x.member_id = s.member_id and x.status = any(@outstanding) and x.amount > x.paid)
            """ + (limit is null ? "order by s.member_id" : "order by hashint8(s.member_id), s.member_id limit @limit"), conn) { CommandTimeout = 0 };
        if (limit is { } n)
        {
            cmd.Parameters.AddWithValue("limit", n);
        }
        cmd.Parameters.AddWithValue("outstanding", DuesStatement.OutstandingStatuses.Select(s => s.ToCode()).ToArray());
        cmd.Parameters.AddWithValue("issued", DuesStatementStatus.Issued.ToCode());
        var payers = new List<Payer>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                long id = r.GetInt64(0);
                payers.Add(new Payer(id, PaymentReference.ForMember(id).Value, r.GetString(1), r.GetString(2), r.GetFieldValue<long[]>(3)));
            }
        }
        var random = new Random(20_261_202);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(payers));
        return payers;
    }

    /// <summary>
    /// The first <paramref name="count"/> transfers of the plan: round r pays month r of every payer who still owes one,
    /// in the payers' shuffled order, so each transfer pays exactly the oldest month left when booked in order.
    /// </summary>
    public static IEnumerable<(int Index, Payer Payer, long Amount)> Transfers(List<Payer> payers, int count)
    {
        int n = 0;
        for (int round = 0; n < count; round++)
        {
            bool any = false;
            for (int p = 0; p < payers.Count && n < count; p++)
            {
                if (round < payers[p].Months.Length)
                {
                    any = true;
                    yield return (p, payers[p], payers[p].Months[round]);
                    n++;
                }
            }
            if (!any)
            {
                throw new InvalidOperationException($"{count:N0} transfers need more outstanding months than {payers.Count:N0} members owe: raise the members argument.");
            }
        }
    }

    /// <summary>Transfer contents as banks deliver them (research/vietqr-bank.md §5), one of several rewrites by index.</summary>
    public static string Content(string reference, long n) => (n % 4) switch
    {
        0 => reference + " Dang phi",
        1 => string.Create(CultureInfo.InvariantCulture, $"MBVCB.{1_457_193_831 + n}.{reference}.CT tu 0291000285902 NGUYEN VAN A toi 0071000962707"),
        2 => string.Create(CultureInfo.InvariantCulture, $"{reference[..5]} {reference[5..]} DONG DANG PHI THANG"),
        _ => string.Create(CultureInfo.InvariantCulture, $"IBFT {reference} nop dang phi {n % 12 + 1:D2}"),
    };

    private static async Task Import(IServiceProvider provider, ImportKind kind, Action<TextWriter> write)
    {
        using var buffer = new MemoryStream();
        await using (var w = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        {
            write(w);
        }
        buffer.Position = 0;
        await using var scope = provider.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<ImportService>().Import(kind, buffer, Actor.System, CancellationToken.None);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"{kind} import refused: {outcome.Errors[0]}");
        }
    }
}
