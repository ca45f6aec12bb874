using System.ComponentModel.DataAnnotations;

namespace Fees.Api.Hosting;

/// <summary>Service settings (section <c>Fees</c>; the data directory also from <c>FEES_DATA_DIR</c>).</summary>
public sealed class FeesOptions : IValidatableObject
{
    public const string Section = "Fees";

    /// <summary>Where the embedded cluster, logs and keys live. Default: <c>.data/</c> in the repository root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "";

    /// <summary>Password of the built-in <c>admin</c>, set on first start (<c>FEES_ADMIN_PASSWORD</c>).</summary>
    public string? AdminPassword { get; set; }

    /// <summary>
    /// Recover the built-in <c>admin</c> at this start (<c>FEES_ADMIN_RESET=1</c> with <c>FEES_ADMIN_PASSWORD</c>): its
    /// password becomes <see cref="AdminPassword"/>, it is unlocked and its sessions end (audited).
    /// </summary>
    public bool AdminReset { get; set; }

    /// <summary>True when no connection string was configured and the service started its own PostgreSQL.</summary>
    public bool Embedded { get; set; }

    /// <summary>Seed the demo province and demo users into an empty database (embedded default only).</summary>
    public bool SeedDemo { get; set; }

    /// <summary>With the demo province, also generate its dues statements from 2026-08 to the current period.</summary>
    public bool SeedDemoStatements { get; set; } = true;

    /// <summary>Members in the generated demo province.</summary>
    [Range(300, 10_000_000)]
    public int DemoMembers { get; set; } = 3000;

    /// <summary>Lifetime of a sign-in (bearer token or cookie).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>PBKDF2 iterations for new password hashes (ASP.NET Core's PasswordHasher, HMAC-SHA512).</summary>
    [Range(10_000, 10_000_000)]
    public int PasswordIterations { get; set; } = 210_000;

    /// <summary>
    /// <c>Fees:AutoCloseDay</c>: from this day of the month on, the daily close job closes the previous month for every
    /// organization that is due and has not closed it (treasurers have until then to reconcile). 1–28; default 10.
    /// </summary>
    [Range(1, 28)]
    public int AutoCloseDay { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AdminReset && string.IsNullOrEmpty(AdminPassword))
        {
            // Never back to a default: the operator chooses the new password now.
            yield return new ValidationResult("FEES_ADMIN_RESET=1 needs FEES_ADMIN_PASSWORD: the built-in admin's new password.", [nameof(AdminPassword)]);
        }
    }
}
