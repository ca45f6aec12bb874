using System.Diagnostics.CodeAnalysis;

namespace Fees.Domain.Receipts;

/// <summary>How the money reached the organization (a receipt's <c>source</c>).</summary>
public enum PaymentMethod
{
    /// <summary><c>bank</c>: a transfer into the organization's account, reported by its bank feed.</summary>
    Bank,
    /// <summary><c>cash</c>: cash the treasurer took and recorded.</summary>
    Cash,
}

public static class PaymentMethodCodes
{
    /// <summary>Who the receipt names as collector of a bank transfer: the service itself.</summary>
    public const string SystemCollector = "Hệ thống thu đảng phí";

    public static string ToCode(this PaymentMethod method) => method switch
    {
        PaymentMethod.Bank => "bank",
        PaymentMethod.Cash => "cash",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static bool TryParse([NotNullWhen(true)] string? code, out PaymentMethod method)
    {
        (bool ok, method) = code switch
        {
            "bank" => (true, PaymentMethod.Bank),
            "cash" => (true, PaymentMethod.Cash),
            _ => (false, default),
        };
        return ok;
    }

    public static PaymentMethod Parse(string code) =>
        TryParse(code, out var method) ? method : throw new FormatException($"'{code}' is not a payment method.");

    /// <summary>As the receipt prints it: <c>Chuyển khoản</c>, <c>Tiền mặt</c>.</summary>
    public static string ToVietnamese(this PaymentMethod method) => method switch
    {
        PaymentMethod.Bank => "Chuyển khoản",
        PaymentMethod.Cash => "Tiền mặt",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };
}
