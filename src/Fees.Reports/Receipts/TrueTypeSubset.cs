using System.Buffers.Binary;

namespace Fees.Reports.Receipts;

/// <summary>
/// Shrinks a TrueType font to the glyphs a document uses, keeping every glyph id where it was: the outlines of other
/// glyphs are emptied (their <c>loca</c> entries become zero-length), the layout tables that could reach them
/// (<c>GSUB</c>, <c>GPOS</c>, <c>GDEF</c>, <c>kern</c>) and device tables are dropped, and glyph names go
/// (<c>post</c> format 3). <c>cmap</c> and <c>hmtx</c> stay whole, so text still maps to the same glyphs and copies back
/// out of the PDF.
/// </summary>
/// <remarks>
/// Skia as SkiaSharp builds it embeds whole fonts in PDFs (its subsetter is compiled out), and DejaVu Sans is 750 KB;
/// a receipt embeds four faces. Subsetting here keeps a receipt's PDF under a hundred kilobytes. Composite glyphs keep
/// their components. Only fonts with TrueType outlines (<c>glyf</c>) are handled.
/// </remarks>
internal static class TrueTypeSubset
{
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "GSUB", "GPOS", "GDEF", "kern", "hdmx", "LTSH", "VDMX", "FFTM", "DSIG", "MATH", "JSTF", "BASE", "PCLT",
    };

    /// <summary>The font with only <paramref name="glyphs"/> (and glyph 0, and their components) drawn.</summary>
    /// <exception cref="InvalidDataException">Not a TrueType font with <c>glyf</c> outlines.</exception>
    public static byte[] Keep(byte[] font, IEnumerable<ushort> glyphs)
    {
        ArgumentNullException.ThrowIfNull(font);
        ArgumentNullException.ThrowIfNull(glyphs);
        var tables = ReadDirectory(font);
        if (!tables.TryGetValue("glyf", out var glyf) || !tables.TryGetValue("loca", out var loca)
            || !tables.TryGetValue("head", out var head) || !tables.TryGetValue("maxp", out var maxp))
        {
            throw new InvalidDataException("Not a TrueType font with glyf outlines.");
        }
        int glyphCount = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(maxp.Offset + 4));
        bool longOffsets = BinaryPrimitives.ReadInt16BigEndian(font.AsSpan(head.Offset + 50)) == 1;
        int GlyphStart(int g) => longOffsets
            ? (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(loca.Offset + (4 * g)))
            : 2 * BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(loca.Offset + (2 * g)));
        ReadOnlySpan<byte> Glyph(int g) => font.AsSpan(glyf.Offset + GlyphStart(g), GlyphStart(g + 1) - GlyphStart(g));

        // The glyphs asked for, .notdef, and every component of a composite, transitively.
        var keep = new SortedSet<int>();
        var queue = new Queue<int>(glyphs.Select(g => (int)g).Where(g => g < glyphCount).Prepend(0));
        while (queue.TryDequeue(out int g))
        {
            if (!keep.Add(g))
            {
                continue;
            }
            foreach (int component in Components(Glyph(g)))
            {
                if (component < glyphCount && !keep.Contains(component))
                {
                    queue.Enqueue(component);
                }
            }
        }

        using var newGlyf = new MemoryStream();
        var newLoca = new byte[4 * (glyphCount + 1)];
        for (int g = 0; g < glyphCount; g++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * g), (uint)newGlyf.Length);
            if (keep.Contains(g))
            {
                var data = Glyph(g);
                newGlyf.Write(data);
                newGlyf.Write(new byte[(4 - (data.Length % 4)) % 4]);
            }
        }
        BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * glyphCount), (uint)newGlyf.Length);

        var output = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (tag, table) in tables)
        {
            if (Dropped.Contains(tag))
            {
                continue;
            }
            output[tag] = tag switch
            {
                "glyf" => newGlyf.ToArray(),
                "loca" => newLoca,
                "head" => Head(font.AsSpan(table.Offset, table.Length)),
                "post" when table.Length >= 32 => Post(font.AsSpan(table.Offset, 32)),
                _ => font.AsSpan(table.Offset, table.Length).ToArray(),
            };
        }
        return Write(BinaryPrimitives.ReadUInt32BigEndian(font), output);
    }

    private readonly record struct Table(int Offset, int Length);

    private static Dictionary<string, Table> ReadDirectory(byte[] font)
    {
        if (font.Length < 12)
        {
            throw new InvalidDataException("Not a font.");
        }
        uint version = BinaryPrimitives.ReadUInt32BigEndian(font);
        if (version is not (0x00010000 or 0x74727565))
        {
            throw new InvalidDataException("Not a TrueType font.");
        }
        int count = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4));
        var tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            var record = font.AsSpan(12 + (16 * i), 16);
            string tag = System.Text.Encoding.ASCII.GetString(record[..4]);
            int offset = checked((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]));
            int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
            if (offset < 0 || length < 0 || offset + length > font.Length)
            {
                throw new InvalidDataException($"Table {tag} lies outside the font.");
            }
            tables[tag] = new Table(offset, length);
        }
        return tables;
    }

    /// <summary>The glyph ids a composite glyph is made of (none for a simple or empty glyph).</summary>
    private static List<int> Components(ReadOnlySpan<byte> glyph)
    {
        var components = new List<int>();
        if (glyph.Length < 10 || BinaryPrimitives.ReadInt16BigEndian(glyph) >= 0)
        {
            return components;
        }
        const ushort ArgsAreWords = 0x0001, HaveScale = 0x0008, MoreComponents = 0x0020, XyScale = 0x0040, TwoByTwo = 0x0080;
        int at = 10;
        ushort flags;
        do
        {
            flags = BinaryPrimitives.ReadUInt16BigEndian(glyph[at..]);
            components.Add(BinaryPrimitives.ReadUInt16BigEndian(glyph[(at + 2)..]));
            at += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2);
            at += (flags & HaveScale) != 0 ? 2 : (flags & XyScale) != 0 ? 4 : (flags & TwoByTwo) != 0 ? 8 : 0;
        }
        while ((flags & MoreComponents) != 0 && at + 4 <= glyph.Length);
        return components;
    }

    /// <summary><c>head</c> with long <c>loca</c> offsets and the checksum adjustment cleared (set when the font is written).</summary>
    private static byte[] Head(ReadOnlySpan<byte> head)
    {
        var copy = head.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(8), 0);
        BinaryPrimitives.WriteInt16BigEndian(copy.AsSpan(50), 1);
        return copy;
    }

    /// <summary><c>post</c> format 3: the same metrics, no glyph names.</summary>
    private static byte[] Post(ReadOnlySpan<byte> header)
    {
        var copy = header.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(copy, 0x00030000);
        return copy;
    }

    private static byte[] Write(uint version, SortedDictionary<string, byte[]> tables)
    {
        int count = tables.Count;
        int power = 1, log = 0;
        while (power * 2 <= count)
        {
            power *= 2;
            log++;
        }
        int directory = 12 + (16 * count);
        int size = directory + tables.Values.Sum(t => (t.Length + 3) & ~3);
        var font = new byte[size];
        BinaryPrimitives.WriteUInt32BigEndian(font, version);
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(4), (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(6), (ushort)(power * 16));
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(8), (ushort)log);
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(10), (ushort)((count * 16) - (power * 16)));
        int record = 12, offset = directory, headOffset = -1;
        foreach (var (tag, data) in tables)
        {
            System.Text.Encoding.ASCII.GetBytes(tag, font.AsSpan(record, 4));
            data.CopyTo(font.AsSpan(offset));
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(record + 4), Checksum(font.AsSpan(offset, (data.Length + 3) & ~3)));
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(record + 8), (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(record + 12), (uint)data.Length);
            if (tag == "head")
            {
                headOffset = offset;
            }
            record += 16;
            offset += (data.Length + 3) & ~3;
        }
        if (headOffset >= 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(headOffset + 8), unchecked(0xB1B0AFBA - Checksum(font)));
        }
        return font;
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 4 <= data.Length; i += 4)
        {
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        }
        return sum;
    }
}
