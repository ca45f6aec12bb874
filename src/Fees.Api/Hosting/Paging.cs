using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Hosting;

/// <summary>Bounds of paging arguments: a page number from 1 to <see cref="MaxPage"/>, a page size within a list's own bound.</summary>
public static class Paging
{
    /// <summary>The highest page number accepted (50 per page: a million rows, far beyond any list a person reads).</summary>
    public const int MaxPage = 20_000;

    /// <summary>A 400 naming <c>page</c> when it is out of bounds; null when it is fine (or absent: page 1).</summary>
    public static ProblemHttpResult? Check(int? page) =>
        PageProblem(page) is { } message ? Problems.Field("page", message) : null;

    /// <summary>The longest search text accepted (a member number is 10 characters, a full name rarely 40).</summary>
    public const int MaxSearchLength = 100;

    /// <summary>A 400 naming <c>q</c> when the search text is longer than <see cref="MaxSearchLength"/>; null when it is fine.</summary>
    public static ProblemHttpResult? CheckSearch(string? q) =>
        q is { Length: > MaxSearchLength } ? Problems.Field("q", $"Từ khóa tìm kiếm có tối đa {MaxSearchLength} ký tự.") : null;

    /// <summary>Why <paramref name="page"/> is out of bounds (in Vietnamese), or null when it is fine (or absent: page 1).</summary>
    public static string? PageProblem(int? page) =>
        page is null or (>= 1 and <= MaxPage) ? null : $"Số trang phải từ 1 đến {MaxPage}.";

    /// <summary>Why <paramref name="size"/> is not a page size from 1 to <paramref name="max"/>, or null when it is fine (or absent: the list's default).</summary>
    public static string? SizeProblem(int? size, int max) =>
        size is null || (size >= 1 && size <= max) ? null : $"Số dòng mỗi trang phải từ 1 đến {max}.";

    /// <summary>
    /// A paging argument as text (a page's query string): null when absent, false when it is not a whole number in
    /// <see cref="int"/>'s range (so <c>page=abc</c> or <c>page=99999999999</c> is refused, not ignored).
    /// </summary>
    public static bool TryRead(string? text, out int? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (text.Length <= 11 && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }
}
