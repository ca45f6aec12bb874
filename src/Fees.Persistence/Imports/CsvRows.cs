using System.Globalization;
using System.Text;

namespace Fees.Persistence.Imports;

/// <summary>One problem with one cell of an import file: the line (as a spreadsheet numbers it, header = 1), the column, the value and why.</summary>
public sealed record RowError(int Line, string Column, string? Value, string Message);

/// <summary>
/// Reads a contract CSV file row by row without holding it in memory: checks the header has exactly the
/// expected columns, and gives each row's cells by column name with the row's line number.
/// </summary>
public sealed class CsvRows : IDisposable
{
    private readonly RecordReader _parser;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly string[] _columns;

    private CsvRows(TextReader reader, string[] columns)
    {
        _columns = columns;
        _parser = new RecordReader(reader);
    }

    public int Line { get; private set; }

    public static CsvRows Open(Stream stream, string[] columns, List<RowError> errors)
    {
        var rows = new CsvRows(new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true), columns);
        rows.ReadHeader(errors);
        return rows;
    }

    private void ReadHeader(List<RowError> errors)
    {
        if (!_parser.Read(out _) || _parser.Record is null)
        {
            errors.Add(new RowError(1, "header", null, "Tệp trống: cần dòng tiêu đề " + string.Join(',', _columns) + "."));
            return;
        }
        Line = 1;
        string[] header = _parser.Record.Select(h => h.Trim()).ToArray();
        for (int i = 0; i < header.Length; i++)
        {
            if (!_columns.Contains(header[i], StringComparer.Ordinal))
            {
                errors.Add(new RowError(1, header[i], header[i], $"Cột '{header[i]}' không thuộc mẫu tệp; các cột là: {string.Join(',', _columns)}."));
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

    /// <summary>Moves to the next non-blank row. Returns false at the end of the file.</summary>
    public bool Read(List<RowError> errors)
    {
        while (_parser.Read(out int startLine))
        {
            Line = startLine;
            string[]? record = _parser.Record;
            if (record is null || record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            if (record.Length != _index.Count)
            {
                errors.Add(new RowError(Line, "*", null, $"Dòng có {record.Length} cột, mẫu tệp có {_index.Count} cột."));
                continue;
            }
            Current = record;
            return true;
        }
        return false;
    }

    private string[] Current { get; set; } = [];

    /// <summary>The trimmed cell of a column; empty cells are null.</summary>
    public string? this[string column]
    {
        get
        {
            string value = Current[_index[column]].Trim();
            return value.Length == 0 ? null : value;
        }
    }

    public void Dispose() => _parser.Dispose();

    /// <summary>
    /// RFC 4180 records: comma-separated, fields optionally in double quotes (a doubled quote inside is one quote;
    /// commas and line breaks inside quotes belong to the field); CRLF or LF line ends. Tracks the physical line
    /// each record starts on, which is what error messages name.
    /// </summary>
    private sealed class RecordReader(TextReader reader) : IDisposable
    {
        private int _line = 1;
        private readonly StringBuilder _field = new();

        public string[]? Record { get; private set; }

        public bool Read(out int startLine)
        {
            startLine = _line;
            if (reader.Peek() < 0)
            {
                Record = null;
                return false;
            }
            var fields = new List<string>();
            _field.Clear();
            bool quoted = false, wasQuoted = false;
            while (true)
            {
                int c = reader.Read();
                if (c < 0)
                {
                    fields.Add(_field.ToString());
                    break;
                }
                char ch = (char)c;
                if (quoted)
                {
                    if (ch == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            _field.Append('"');
                        }
                        else
                        {
                            quoted = false;
                        }
                    }
                    else
                    {
                        if (ch == '\n')
                        {
                            _line++;
                        }
                        _field.Append(ch);
                    }
                    continue;
                }
                if (ch == '"' && _field.Length == 0 && !wasQuoted)
                {
                    quoted = wasQuoted = true;
                }
                else if (ch == ',')
                {
                    fields.Add(_field.ToString());
                    _field.Clear();
                    wasQuoted = false;
                }
                else if (ch == '\r' && reader.Peek() == '\n')
                {
                    // the LF ends the record
                }
                else if (ch == '\n')
                {
                    _line++;
                    fields.Add(_field.ToString());
                    break;
                }
                else
                {
                    _field.Append(ch);
                }
            }
            Record = fields.ToArray();
            return true;
        }

        public void Dispose() => reader.Dispose();
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

    /// <summary>An optional whole number of đồng: digits only, no separators or decimals.</summary>
    public static bool OptionalDong(CsvRows row, string column, List<RowError> errors, out long? amount)
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
        amount = value;
        return true;
    }

    public static bool MatchesCode(string value, int maxLength, Func<char, bool> allowed) =>
        value.Length >= 1 && value.Length <= maxLength && value.All(allowed);
}
