using System.Globalization;
using Fees.Bench;

// The nation (5.6 million members at scale 1; bench/NationalBench, docs/performance.md "National scale"), one command each:
//   generate    the national files generated into nothing (or --out <dir>): rows/s and memory of the generator alone
//   load        the nation streamed through the service's imports (binary COPY staging, set-based merge) with a progress
//               bar, then the dues of every period 2026-08…now (--periods n: only the last n). Target: under 10 minutes.
//   statements  a member's statements (GET /api/members/{memberNo}/statements as that member) from 64 concurrent
//               clients against the service in its own process: p50/p99, requests/s, the service's peak memory (VmHWM)
//   dues        the current month's statements removed and generated again on the loaded cluster (a minute at 0.1
//               instead of a whole load): statements/s and CPU client + server; with --profile, what the server did
//   b01         B01/ĐP of a province (Hà Nội) for the quarter of last month. Target ≤ 2 s.
//   close       a backlog of payments booked through the bulk path, then last month's close cascade over the nation.
//               Target ≤ 120 s.
//   pages       the pages' reads as their users (member, cell treasurer, province office, auditor): p50/p95 of each
//               endpoint and the indexes each one scanned (run after close: the cell then has receipts and books)
//   indexes     every index of the party's tables with the scans the benchmarks above made of it on this --data cluster
//               (run last): each index is a key or is justified by a benchmarked query (docs/indexes.md).
// Options: --scale 0.01|0.1|1 (default 0.1), --data <dir> keeps the loaded cluster between commands (the commands load the
// nation first when the directory holds none at that scale), --profile (pg_stat_statements and auto_explain of
// statements slower than 1 s), --sql "<statement>" (run as the owner before measuring: try an index that would close a
// gap without a migration; the figures then say so), --clients n, --requests n (statements), --payments n (close), --out <dir> (generate),
// --no-record (the run is not written into docs/performance.md, "Recorded runs").
// Usage: dotnet run -c Release --project bench/NationalBench -- load --scale 0.1 --data /tmp/national-0.1
var options = BenchOptions.Parse(args);
var record = BenchRecord.Start("NationalBench", args);
int code = options.Command switch
{
    "generate" => await NationalRuns.Generate(options),
    "load" => await NationalRuns.Load(options),
    "statements" => await NationalRuns.Statements(options),
    "dues" => await NationalRuns.Dues(options),
    "b01" => await NationalRuns.B01(options),
    "close" => await NationalRuns.Close(options),
    "pages" => await NationalRuns.Pages(options),
    "indexes" => await NationalRuns.Indexes(options),
    _ => throw new ArgumentException($"Unknown command '{options.Command}': generate, load, statements, dues, b01, close, pages or indexes."),
};
await record.Save(code);
return code;

internal sealed record BenchOptions(string Command, decimal Scale, string? Data, bool Profile, int Clients, int Requests, int? Payments, int? Periods, string? Out, string? Sql)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        int? Int(string name) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        decimal scale = Value("--scale") is { } s ? decimal.Parse(s, CultureInfo.InvariantCulture) : 0.1m;
        return new BenchOptions(args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "load", scale, Value("--data"),
            args.Contains("--profile", StringComparer.Ordinal), Int("--clients") ?? 64, Int("--requests") ?? 20_000, Int("--payments"),
            Int("--periods"), Value("--out"), Value("--sql"));
    }
}
