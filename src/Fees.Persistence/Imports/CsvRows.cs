using System.Globalization;
using System.Text;
using Fees.Domain.Amounts;
using nietras.SeparatedValues;

namespace Fees.Persistence.Imports;

/// <summary>
/// One problem with one cell of an import file: the line (as a spreadsheet numbers it, header = 1), the column, the
/// value (cut to <see cref="MaxValueLength"/> characters: an answer never echoes megabytes back) and why.
/// </summary>
public sealed record RowError
{
    public const int MaxValueLength = 200;

    public RowError(int line, string column, string? value, string message)
    {
        Line = line;
        Column = column;
        Value = value is { Length: > MaxValueLength } ? string.Concat(value.AsSpan(0, MaxValueLength), "…") : value;
        Message = message;
    }

    public int Line { get; }
    public string Column { get; }
    public string? Value { get; }
    public string Message { get; }
}

/// <summary>
/// Reads a contract CSV file row by row without holding it in memory (Sep, RFC 4180 quoting): checks the header has
/// exactly the expected columns, and gives each row's cells by column name with the line the row starts on. The file
/// must be UTF-8 (checked before any row is read: <see cref="Utf8Check"/>), and no cell may hold a control character.
/// </summary>
public sealed class CsvRows : IDisposable
{
    private readonly SepReader _reader;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly string[] _columns;
    private string[] _current = [];

    private CsvRows(TextReader text, string[] columns)
    {
        _columns = columns;
        _reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true, DisableFastFloat = true })
            .From(text);
    }

    /// <summary>The line (1 = header) the current row starts on.</summary>
    public int Line { get; private set; }

    public static CsvRows Open(Stream stream, string[] columns, List<RowError> errors)
    {
        var rows = new CsvRows(new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true), columns);
        rows.ReadHeader(errors);
        return rows;
    }

    private void ReadHeader(List<RowError> errors)
    {
        if (!_reader.MoveNext())
        {
            errors.Add(new RowError(1, "header", null, "Tệp trống: cần dòng tiêu đề " + string.Join(',', _columns) + "."));
            return;
        }
        Line = 1;
        string[] header = Cells(_reader.Current).Select(h => h.Trim()).ToArray();
        for (int i = 0; i < header.Length; i++)
        {
            if (!_columns.Contains(header[i], StringComparer.Ordinal))
            {
                errors.Add(new RowError(1, header[i], header[i], $"Cột '{Trim(header[i])}' không thuộc mẫu tệp; các cột là: {string.Join(',', _columns)}."));
            }
            else if (!_index.TryAdd(header[i], i))
            {
                errors.Add(new RowError(1, header[i], header[i], $"Cột '{header[i]}' bị lặp."));
            }
        }
        foreach (string c in _columns.Where(c => !_index.ContainsKey(c)))
        {
            errors.Add(new RowError(1, c, null, $"Thiếu cột '{c}'."));
        }
    }

    public bool HeaderIsValid => _index.Count == _columns.Length;

    /// <summary>
    /// Moves to the next non-blank row whose shape is right. A row with the wrong number of cells, or a cell holding a
    /// control character (NUL, tab, a line break inside quotes …), is reported and skipped. Returns false at the end.
    /// </summary>
    public bool Read(List<RowError> errors)
    {
        while (_reader.MoveNext())
        {
            var row = _reader.Current;
            Line = row.LineNumberFrom;
            string[] record = Cells(row);
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            if (record.Length != _index.Count)
            {
                errors.Add(new RowError(Line, "*", null, $"Dòng có {record.Length} cột, mẫu tệp có {_index.Count} cột."));
                continue;
            }
            bool clean = true;
            foreach (var (column, i) in _index)
            {
                if (record[i].Any(char.IsControl))
                {
                    errors.Add(new RowError(Line, column, Visible(record[i]), "Ô chứa ký tự điều khiển (ký tự không in được hoặc xuống dòng): kiểm tra lại dữ liệu."));
                    clean = false;
                }
            }
            if (!clean)
            {
                continue;
            }
            _current = record;
            return true;
        }
        return false;
    }

    /// <summary>The trimmed cell of a column; empty cells are null.</summary>
    public string? this[string column]
    {
        get
        {
            string value = _current[_index[column]].Trim();
            return value.Length == 0 ? null : value;
        }
    }

    public void Dispose() => _reader.Dispose();

    private static string[] Cells(SepReader.Row row)
    {
        var cells = new string[row.ColCount];
        for (int i = 0; i < cells.Length; i++)
        {
            cells[i] = row[i].ToString();
        }
        return cells;
    }

    private static string Trim(string s) => s.Length <= RowError.MaxValueLength ? s : s[..RowError.MaxValueLength] + "…";

    /// <summary>Control characters written as <c>\u0000</c>, so the answer shows where they are.</summary>
    private static string Visible(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, RowError.MaxValueLength + 8));
        foreach (char c in s.Take(RowError.MaxValueLength))
        {
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c);
        }
        return sb.ToString();
    }
}

/// <summary>
/// Is a file UTF-8? Import files must be (a Windows export in code page 1258 or 1252 would store Vietnamese names
/// as <c>Nguy�n V�n</c>): the first invalid byte sequence is reported with its line, before anything is read.
/// </summary>
public static class Utf8Check
{
    /// <summary>The line (1-based) of the first byte sequence that is not UTF-8, or null when the whole stream is UTF-8. Rewinds the stream.</summary>
    public static async Task<int?> FirstInvalidLine(Stream stream, CancellationToken ct)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        byte[] buffer = new byte[81920];
        char[] chars = new char[buffer.Length + 4];
        int line = 1;
        int n;
        try
        {
            while ((n = await stream.ReadAsync(buffer, ct)) > 0)
            {
                try
                {
                    decoder.GetChars(buffer, 0, n, chars, 0, flush: false);
                }
                catch (DecoderFallbackException e)
                {
                    int at = Math.Clamp(e.Index, 0, n);
                    return line + buffer.AsSpan(0, at).Count((byte)'\n');
                }
                line += buffer.AsSpan(0, n).Count((byte)'\n');
            }
            try
            {
                decoder.GetChars([], 0, 0, chars, 0, flush: true);
            }
            catch (DecoderFallbackException)
            {
                return line;
            }
            return null;
        }
        finally
        {
            stream.Position = 0;
        }
    }
}

/// <summary>Cell parsers shared by the three imports: each returns false and adds a Vietnamese error naming the line and column.</summary>
public static class Cells
{
    public static bool Required(CsvRows row, string column, List<RowError> errors, out string value)
    {
        value = row[column] ?? "";
        if (value.Length == 0)
        {
            errors.Add(new RowError(row.Line, column, null, "Không được để trống."));
            return false;
        }
        return true;
    }

    public static bool Date(CsvRows row, string column, List<RowError> errors, out DateOnly date)
    {
        date = default;
        if (!Required(row, column, errors, out string text))
        {
            return false;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) || date.Year < 1900)
        {
            errors.Add(new RowError(row.Line, column, text, "Ngày không hợp lệ (định dạng yyyy-MM-dd, ví dụ 1975-04-30)."));
            return false;
        }
        return true;
    }

    /// <summary>
    /// An optional whole number of đồng: digits only, no separators or decimals, and at most <paramref name="max"/>
    /// (a documented ceiling such as <c>FeeLimits.MaxMonthlyIncome</c>: a typo never becomes a statement nobody can pay).
    /// </summary>
    public static bool OptionalDong(CsvRows row, string column, List<RowError> errors, Money max, out long? amount)
    {
        amount = null;
        string? text = row[column];
        if (text is null)
        {
            return true;
        }
        if (text.Length > 13 || !text.All(char.IsAsciiDigit) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            errors.Add(new RowError(row.Line, column, text, "Số tiền phải là số nguyên đồng, không âm, không có dấu phân cách (ví dụ 5475600)."));
            return false;
        }
        if (value > max.Dong)
        {
            errors.Add(new RowError(row.Line, column, text, $"Số tiền vượt mức tối đa {max.ToDisplayString()} một tháng: kiểm tra lại số liệu."));
            return false;
        }
        amount = value;
        return true;
    }

    public static bool MatchesCode(string value, int maxLength, Func<char, bool> allowed) =>
        value.Length >= 1 && value.Length <= maxLength && value.All(allowed);
}
