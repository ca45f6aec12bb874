using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Hosting;

/// <summary>Bounds of paging arguments: a page number from 1 to <see cref="MaxPage"/>.</summary>
public static class Paging
{
    /// <summary>The highest page number accepted (50 per page: a million rows, far beyond any list a person reads).</summary>
    public const int MaxPage = 20_000;

    /// <summary>A 400 naming <c>page</c> when it is out of bounds; null when it is fine (or absent: page 1).</summary>
    public static ProblemHttpResult? Check(int? page) =>
        page is null or (>= 1 and <= MaxPage) ? null : Problems.Field("page", $"Số trang phải từ 1 đến {MaxPage}.");
}
