using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Fees.BankGateway.History;

/// <summary>
/// Validates options with their <c>[Required]</c>/<c>[Range]</c> attributes and <see cref="IValidatableObject"/>, without the
/// Microsoft.Extensions.Options.DataAnnotations package (not among the central versions).
/// </summary>
internal sealed class DataAnnotationsOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r => $"{typeof(TOptions).Name}: {r.ErrorMessage}"));
    }
}
