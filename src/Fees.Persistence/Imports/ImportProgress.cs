namespace Fees.Persistence.Imports;

/// <summary>
/// Where an import is: the phases in the order they happen (a run may end early, rejected, after any of them). The
/// code of each is what <c>import_runs.phase</c> stores and the progress read answers.
/// </summary>
public enum ImportPhase
{
    /// <summary>The upload is copied to a temporary file, hashed and checked to be UTF-8.</summary>
    Receiving,
    /// <summary>Waiting for the import lock (one import at a time).</summary>
    Waiting,
    /// <summary>The file's rows are read, their cells checked and copied to a staging table: bytes read count up.</summary>
    Reading,
    /// <summary>References, duplicates and scope are checked against what is stored.</summary>
    Checking,
    /// <summary>The merge, the audit records and the commit.</summary>
    Writing,
    /// <summary>Committed: the counts are known.</summary>
    Done,
    /// <summary>The file has errors: nothing was written.</summary>
    Rejected,
    /// <summary>The import threw (or was cancelled): its transaction rolled back, nothing was written.</summary>
    Failed,
    /// <summary>Never stored: a run not finished whose record stopped being updated (its service instance died).</summary>
    Interrupted,
}

public static class ImportPhases
{
    public static string ToCode(this ImportPhase phase) => phase switch
    {
        ImportPhase.Receiving => "receiving",
        ImportPhase.Waiting => "waiting",
        ImportPhase.Reading => "reading",
        ImportPhase.Checking => "checking",
        ImportPhase.Writing => "writing",
        ImportPhase.Done => "done",
        ImportPhase.Rejected => "rejected",
        ImportPhase.Failed => "failed",
        ImportPhase.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    public static ImportPhase FromCode(string code) =>
        Enum.GetValues<ImportPhase>().FirstOrDefault(p => p.ToCode() == code, ImportPhase.Failed);

    /// <summary>What the import page shows for the phase.</summary>
    public static string ToVietnamese(this ImportPhase phase) => phase switch
    {
        ImportPhase.Receiving => "Đang nhận tệp",
        ImportPhase.Waiting => "Đang chờ lượt nhập trước kết thúc",
        ImportPhase.Reading => "Đang đọc tệp",
        ImportPhase.Checking => "Đang kiểm tra",
        ImportPhase.Writing => "Đang ghi vào cơ sở dữ liệu",
        ImportPhase.Done => "Hoàn tất",
        ImportPhase.Rejected => "Tệp có lỗi; chưa có dòng nào được nhập",
        ImportPhase.Failed => "Không nhập được do lỗi hệ thống; chưa có dòng nào được nhập",
        ImportPhase.Interrupted => "Bị gián đoạn; chưa có dòng nào được nhập",
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    public static bool IsFinished(this ImportPhase phase) => phase >= ImportPhase.Done;
}

/// <summary>
/// What an import reports while it runs (an <see cref="IProgress{T}"/> of sorts, with a call per kind of fact). Called
/// on the import's own thread, possibly for every buffer read: implementations only store the values and return.
/// </summary>
public interface IImportProgress
{
    /// <summary>A new phase began.</summary>
    void Phase(ImportPhase phase);

    /// <summary>The importer has consumed <paramref name="read"/> bytes of the file's <paramref name="total"/>, <paramref name="lines"/> lines (header included).</summary>
    void Read(long read, long total, long lines);
}

/// <summary>Reports nothing.</summary>
public sealed class NoImportProgress : IImportProgress
{
    public static NoImportProgress Instance { get; } = new();

    public void Phase(ImportPhase phase)
    {
    }

    public void Read(long read, long total, long lines)
    {
    }
}

/// <summary>
/// A read-only, forward-only view of the buffered file that reports every read to an <see cref="IImportProgress"/>: the
/// bytes the importer has consumed (its reader's buffer ahead of the row being parsed, at most 80 KiB) and the line
/// feeds among them.
/// </summary>
public sealed class ProgressStream(Stream inner, IImportProgress progress) : Stream
{
    private readonly long _total = inner.Length - inner.Position;
    private long _read;
    private long _lines;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        return Counted(buffer[..n]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken);
        return Counted(buffer.Span[..n]);
    }

    private int Counted(ReadOnlySpan<byte> bytes)
    {
        _read += bytes.Length;
        _lines += bytes.Count((byte)'\n');
        // A last line without a line feed is still a line.
        long lines = _read == _total && _total > 0 && bytes.Length > 0 && bytes[^1] != (byte)'\n' ? _lines + 1 : _lines;
        progress.Read(_read, _total, lines);
        return bytes.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
