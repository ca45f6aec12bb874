using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Fees.Bench;

/// <summary>
/// Writes a benchmark run into docs/performance.md, "Recorded runs": the command line, when it ran, the commit, the
/// machine (CPU model, cores, memory, kernel, load average) and everything the run printed. Each command line keeps its
/// latest completed run: a later run of the same command (paths of <c>--data</c>/<c>--out</c> aside) replaces the block
/// in place, so the figures are never copied by hand. <c>--no-record</c> runs without writing.
/// </summary>
internal sealed class BenchRecord
{
    private const string SectionHeading = "## Recorded runs";
    private const string BlockStart = "<!-- recorded run: ";
    private const string BlockEnd = "<!-- end of recorded run -->";
    private static readonly string[] PathOptions = ["--data", "--out"];

    private readonly string _bench;
    private readonly string[] _args;
    private readonly string? _document;
    private readonly StringWriter _output = new(CultureInfo.InvariantCulture);
    private readonly TextWriter _console;
    private readonly TextWriter _error;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly string _loadAtStart = LoadAverage();
    private readonly string _commit;

    private BenchRecord(string bench, string[] args, string? document)
    {
        _bench = bench;
        _args = args;
        _document = document;
        _console = Console.Out;
        _error = Console.Error;
        _commit = document is null ? "" : Commit(Path.GetDirectoryName(Path.GetDirectoryName(document))!);
        if (document is not null)
        {
            // One synchronized record behind both streams, so a warning on stderr lands where it happened.
            var record = TextWriter.Synchronized(_output);
            Console.SetOut(TextWriter.Synchronized(new Tee(_console, record)));
            Console.SetError(TextWriter.Synchronized(new Tee(_error, record)));
        }
    }

    /// <summary>
    /// Starts recording what the run prints (unless <c>--no-record</c> is among <paramref name="args"/> or no
    /// docs/performance.md is found above the working directory or the program).
    /// </summary>
    public static BenchRecord Start(string bench, string[] args)
    {
        string? document = args.Contains("--no-record", StringComparer.Ordinal) ? null : FindDocument();
        if (document is null && !args.Contains("--no-record", StringComparer.Ordinal))
        {
            Console.Error.WriteLine("docs/performance.md not found above the working directory: this run is not recorded.");
        }
        return new BenchRecord(bench, args, document);
    }

    /// <summary>Writes the run's block into docs/performance.md (a run that throws is not recorded).</summary>
    public async Task Save(int exitCode)
    {
        if (_document is null)
        {
            return;
        }
        Console.Out.Flush();
        Console.SetOut(_console);
        Console.SetError(_error);
        var ended = DateTimeOffset.UtcNow;
        string shown = string.Join(' ', _args.Where(a => a != "--no-record").Select(Quoted));
        string key = Key(_bench, _args);
        var block = new StringBuilder();
        block.Append(BlockStart).Append(key).AppendLine(" -->");
        block.Append("#### `dotnet run -c Release --project bench/").Append(_bench).Append(" --").Append(shown.Length > 0 ? " " + shown : "").AppendLine("`");
        block.AppendLine();
        block.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{_started:yyyy-MM-dd HH:mm:ss}–{ended:HH:mm:ss} UTC ({(ended - _started).TotalSeconds:F0} s), commit {_commit}, exit code {exitCode}; {Machine()}; load average {_loadAtStart} at the start, {LoadAverage()} at the end."));
        block.AppendLine();
        block.AppendLine("```text");
        foreach (string line in Printed(_output.ToString().TrimEnd()))
        {
            block.AppendLine(line);
        }
        block.AppendLine("```");
        block.AppendLine(BlockEnd);
        try
        {
            await Write(_document, key, block.ToString());
            Console.WriteLine($"recorded in {_document}, \"Recorded runs\": {key}");
        }
        catch (IOException e)
        {
            // The run's figures are not lost with the document: the block goes to stderr to be pasted by hand.
            await Console.Error.WriteLineAsync($"Could not record the run in {_document} ({e.Message}); its block:\n{block}");
        }
    }

    /// <summary>An argument as a shell would need it (the heading shows a command that can be run again).</summary>
    private static string Quoted(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_=.,/:+".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("`", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The block's key: the benchmark and its arguments, without the recording switch and the directories' paths.</summary>
    internal static string Key(string bench, string[] args)
    {
        var kept = new List<string> { bench };
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--no-record")
            {
                continue;
            }
            if (PathOptions.Contains(args[i], StringComparer.Ordinal))
            {
                i++;
                continue;
            }
            kept.Add(args[i]);
        }
        return string.Join(' ', kept).Replace("--", "\u2011\u2011", StringComparison.Ordinal);
    }

    /// <summary>
    /// The document with <paramref name="block"/> in place of the block of <paramref name="key"/>, or appended to the
    /// "Recorded runs" section (made at the end when missing).
    /// </summary>
    internal static string Upsert(string document, string key, string block)
    {
        string marker = BlockStart + key + " -->";
        int start = document.IndexOf(marker, StringComparison.Ordinal);
        if (start >= 0)
        {
            int end = document.IndexOf(BlockEnd, start, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new InvalidOperationException($"The recorded run '{key}' in docs/performance.md has no end marker.");
            }
            int after = end + BlockEnd.Length;
            while (after < document.Length && document[after] is '\n' or '\r')
            {
                after++;
            }
            return document[..start] + block + "\n" + document[after..];
        }
        int section = document.IndexOf("\n" + SectionHeading + "\n", StringComparison.Ordinal);
        if (section < 0)
        {
            return document.TrimEnd() + "\n\n" + SectionHeading + "\n\n"
                + "Every benchmark command writes its latest completed run here (bench/Shared/BenchRecord.cs): the command, when it\n"
                + "ran, the commit, the machine and everything it printed. A later run of the same command line replaces its block;\n"
                + "`--no-record` runs without writing. The sections before this one interpret these figures against the targets.\n\n"
                + block + "\n";
        }
        // At the end of the section: a section written after it by hand keeps its place, and the blocks stay together.
        int next = document.IndexOf("\n## ", section + SectionHeading.Length + 1, StringComparison.Ordinal);
        if (next < 0)
        {
            return document.TrimEnd() + "\n\n" + block + "\n";
        }
        return document[..next].TrimEnd() + "\n\n" + block + "\n" + document[next..];
    }

    /// <summary>What the run printed, with each progress bar's redraws (<c>\r</c>) reduced to its last state.</summary>
    private static IEnumerable<string> Printed(string text)
    {
        foreach (string raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            string line = raw[(raw.LastIndexOf('\r') + 1)..].TrimEnd();
            yield return line.Replace("```", "'''", StringComparison.Ordinal);
        }
    }

    private static async Task Write(string path, string key, string block)
    {
        // Two benchmarks may finish together: they take turns on a lock file beside the document, and each writes a
        // whole new copy that replaces the document in one rename, so a failed write never leaves it cut short.
        string lockPath = path + ".lock";
        for (int attempt = 1; ; attempt++)
        {
            FileStream held;
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 300)
            {
                await Task.Delay(100);
                continue;
            }
            await using (held)
            {
                string document = await File.ReadAllTextAsync(path, Encoding.UTF8);
                string temporary = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
                await File.WriteAllTextAsync(temporary, Upsert(document, key, block), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                File.Move(temporary, path, overwrite: true);
            }
            return;
        }
    }

    private static string? FindDocument()
    {
        foreach (string from in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "docs", "performance.md");
                if (File.Exists(candidate) && Directory.Exists(Path.Combine(dir.FullName, "bench")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// The checked-out commit when the run started, "+ uncommitted changes" when files other than this document differ
    /// from it (untracked ones included: the build compiles them).
    /// </summary>
    private static string Commit(string root)
    {
        string? head = Git(root, "rev-parse --short=7 HEAD");
        if (head is null)
        {
            return "unknown (not a git checkout)";
        }
        string? changes = Git(root, "--no-optional-locks status --porcelain -- :/ \":(top,exclude)docs/performance.md\" \":(top,exclude)docs/performance.md.lock\"");
        return string.IsNullOrEmpty(changes) ? head : head + " + uncommitted changes";
    }

    private static string? Git(string root, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = Process.Start(start)!;
            var error = git.StandardError.ReadToEndAsync();
            string output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            _ = error.Result;
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string Machine()
    {
        string cpu = "?", memory = "?";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        }
        if (File.Exists("/proc/meminfo"))
        {
            string? total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (total is not null && long.TryParse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
            {
                memory = (kb / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " GiB";
            }
        }
        string kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.VersionString;
        return $"{cpu}, {Environment.ProcessorCount} cores, {memory}, Linux {kernel}, .NET {Environment.Version}";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>Writes to the console and to the record.</summary>
    private sealed class Tee(TextWriter console, TextWriter record) : TextWriter
    {
        public override Encoding Encoding => console.Encoding;

        public override void Write(char value)
        {
            console.Write(value);
            record.Write(value);
        }

        public override void Write(string? value)
        {
            console.Write(value);
            record.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            console.Write(buffer, index, count);
            record.Write(buffer, index, count);
        }

        public override void WriteLine(string? value)
        {
            console.WriteLine(value);
            record.WriteLine(value);
        }

        public override void Flush() => console.Flush();
    }
}
