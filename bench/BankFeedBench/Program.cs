using System.Globalization;
using Fees.Bench;

// Bank feeds at volume, on a private PostgreSQL cluster, with a generated province whose dues are generated:
//   webhook [notifications=10000] [members=10000] [--profile]
//     the service in its own process on a loopback port; 32 senders post signed generic notifications, each paying a
//     real outstanding month; request latency, fully booked throughput, then the books are checked.
//   bulk [transactions=20000] [members=10000] [--batch=5000] [--workers=2] [--shared] [--profile]
//     a backlog of history transactions (staged with COPY) booked through the set-based bulk path (BankInbox.ProcessBatch),
//     batch by batch by concurrent workers, each on its own lane of the receiving accounts (BacklogLane; --shared: all
//     workers on the whole backlog, as before the lanes); then the books are checked.
//   close [members=100000] [payments=100000] [--profile]
//     a province with its dues and a backlog of payments booked through the bulk path; then last month is closed for every
//     organization (children first, as the daily job does), timed; then the splits and every audit check are verified.
// --profile loads pg_stat_statements and auto_explain (plans slower than 1 s go to the server log) and prints the heaviest
// statements of the measured part.
// Usage: dotnet run -c Release --project bench/BankFeedBench -- webhook 10000 10000   (figures: docs/performance.md)
// --no-record: the run is not written into docs/performance.md, "Recorded runs" (bench/Shared/BenchRecord.cs).
string mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "webhook";
var record = BenchRecord.Start("BankFeedBench", args);
bool profile = args.Contains("--profile", StringComparer.Ordinal);
var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
int batch = args.Where(a => a.StartsWith("--batch=", StringComparison.Ordinal)).Select(a => int.Parse(a["--batch=".Length..], CultureInfo.InvariantCulture))
    .DefaultIfEmpty(5_000).First();
int workers = args.Where(a => a.StartsWith("--workers=", StringComparison.Ordinal)).Select(a => int.Parse(a["--workers=".Length..], CultureInfo.InvariantCulture))
    .DefaultIfEmpty(2).First();
int code = mode switch
{
    "webhook" => await WebhookRun.Run(numbers.ElementAtOrDefault(0) is > 0 and var n ? n : 10_000, numbers.ElementAtOrDefault(1) is > 0 and var m ? m : 10_000, profile),
    "bulk" => await BulkRun.Run(numbers.ElementAtOrDefault(0) is > 0 and var t ? t : 20_000, numbers.ElementAtOrDefault(1) is > 0 and var b ? b : 10_000, batch, workers,
        args.Contains("--shared", StringComparer.Ordinal), profile),
    "close" => await CloseRun.Run(numbers.ElementAtOrDefault(0) is > 0 and var c ? c : 100_000, numbers.ElementAtOrDefault(1) is > 0 and var p ? p : 100_000, profile),
    _ => throw new ArgumentException($"Unknown mode '{mode}': webhook, bulk or close."),
};
await record.Save(code);
return code;
