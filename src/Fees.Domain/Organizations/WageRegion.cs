namespace Fees.Domain.Organizations;

/// <summary>
/// Vùng lương tối thiểu (regional minimum-wage region) I–IV where an organization meets; it sets the base of the
/// fee for members outside compulsory social insurance (rule <c>other</c>).
/// </summary>
public enum WageRegion
{
    I = 1,
    II = 2,
    III = 3,
    IV = 4,
}
