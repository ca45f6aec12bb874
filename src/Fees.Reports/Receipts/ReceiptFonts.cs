using SkiaSharp;

namespace Fees.Reports.Receipts;

/// <summary>What a piece of a receipt is printed in.</summary>
public enum TextStyle
{
    Regular,
    Bold,
    /// <summary>DejaVu Sans slanted: <c>fonts-dejavu-core</c> has no oblique face.</summary>
    Italic,
    /// <summary>DejaVu Sans Mono: the verification address.</summary>
    Mono,
}

/// <summary>
/// The typefaces a receipt prints in: DejaVu Sans (regular, bold) and DejaVu Sans Mono for the address, all with the
/// full Vietnamese alphabet. Debian's <c>fonts-dejavu-core</c> installs them (<c>.ci/run</c> does).
/// A document embeds subsets of them (<see cref="SubsetFor"/>): only the glyphs it draws.
/// </summary>
public sealed class ReceiptFonts : IDisposable
{
    public const string DejaVuDirectory = "/usr/share/fonts/truetype/dejavu";

    private static readonly Lazy<ReceiptFonts> Installed = new(() => FromDirectory(DejaVuDirectory));

    private readonly IReadOnlyDictionary<SKTypeface, byte[]> _data;

    private ReceiptFonts(SKTypeface regular, SKTypeface bold, SKTypeface mono, IReadOnlyDictionary<SKTypeface, byte[]> data)
    {
        Regular = regular;
        Bold = bold;
        Mono = mono;
        _data = data;
    }

    /// <summary>The machine's DejaVu fonts, loaded once.</summary>
    /// <exception cref="InvalidOperationException">They are not installed.</exception>
    public static ReceiptFonts Default => Installed.Value;

    public SKTypeface Regular { get; }
    public SKTypeface Bold { get; }
    public SKTypeface Mono { get; }

    /// <summary>The typeface a style draws with (italic is the regular face, slanted when drawn).</summary>
    public SKTypeface Typeface(TextStyle style) => style switch
    {
        TextStyle.Regular or TextStyle.Italic => Regular,
        TextStyle.Bold => Bold,
        TextStyle.Mono => Mono,
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, null),
    };

    /// <summary>DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSansMono.ttf from <paramref name="directory"/>.</summary>
    public static ReceiptFonts FromDirectory(string directory)
    {
        var data = new Dictionary<SKTypeface, byte[]>();
        SKTypeface Load(string file)
        {
            string path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: receipts print in DejaVu Sans (apt-get install fonts-dejavu-core).");
            }
            byte[] bytes = File.ReadAllBytes(path);
            var face = FromBytes(bytes) ?? throw new InvalidOperationException($"{path} is not a font Skia can read.");
            data[face] = bytes;
            return face;
        }
        return new ReceiptFonts(Load("DejaVuSans.ttf"), Load("DejaVuSans-Bold.ttf"), Load("DejaVuSansMono.ttf"), data);
    }

    /// <summary>
    /// The same faces cut down to the characters each one draws (<paramref name="textOf"/>: everything drawn in a face),
    /// glyph ids unchanged. The caller disposes them.
    /// </summary>
    internal ReceiptFonts SubsetFor(Func<SKTypeface, string> textOf)
    {
        var data = new Dictionary<SKTypeface, byte[]>();
        SKTypeface Cut(SKTypeface face)
        {
            byte[] bytes = TrueTypeSubset.Keep(_data[face], face.GetGlyphs(textOf(face)));
            var subset = FromBytes(bytes) ?? throw new InvalidOperationException("Skia cannot read a subset of " + face.FamilyName);
            data[subset] = bytes;
            return subset;
        }
        return new ReceiptFonts(Cut(Regular), Cut(Bold), Cut(Mono), data);
    }

    public void Dispose()
    {
        if (ReferenceEquals(this, Installed.IsValueCreated ? Installed.Value : null))
        {
            return;
        }
        foreach (var face in _data.Keys)
        {
            face.Dispose();
        }
    }

    private static SKTypeface? FromBytes(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        return SKTypeface.FromData(data);
    }
}
