namespace Fees.Domain.Text;

/// <summary>
/// Free text a person types into a form or a request (a reason, a decision's number, who decided): not blank, at most
/// a documented length, and no control characters (a NUL cannot be stored in PostgreSQL text; a line break or tab
/// in a one-line field is a paste error).
/// </summary>
public static class FreeText
{
    /// <summary>The trimmed text when it is acceptable, else null.</summary>
    public static string? Accept(string? value, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (value is null)
        {
            return null;
        }
        string trimmed = value.Trim();
        return trimmed.Length is 0 || trimmed.Length > maxLength || trimmed.Any(char.IsControl) ? null : trimmed;
    }
}
