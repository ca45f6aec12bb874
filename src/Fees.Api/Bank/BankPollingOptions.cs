using System.ComponentModel.DataAnnotations;

namespace Fees.Api.Bank;

/// <summary>
/// <c>Bank:Polling</c>: how the providers' history APIs are polled. What is polled comes from each provider's history
/// settings (<c>Bank:Providers:sepay:History</c>, <c>…:casso:History</c>): a provider whose credential is set is polled,
/// one job per account in its <c>Accounts</c>, or one job for every account its credential sees when that list is empty.
/// </summary>
public sealed class BankPollingOptions
{
    public const string Section = "Bank:Polling";

    /// <summary><c>Bank:Polling:Enabled</c>: false removes every poll job. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Bank:Polling:Schedule</c>: a cron expression in Vietnam time. Default every 5 minutes.</summary>
    [Required]
    [StringLength(100, MinimumLength = 9)]
    public string Schedule { get; set; } = "*/5 * * * *";

    /// <summary><c>Bank:Polling:MaxPagesPerRun</c>: pages one run reads at most before leaving the rest to the next run. In [1, 1000]; default 20.</summary>
    [Range(1, 1000)]
    public int MaxPagesPerRun { get; set; } = 20;

    /// <summary>
    /// <c>Bank:Polling:LookbackDays</c>: the first poll of an account takes transactions booked from this many days before
    /// the day it runs (Vietnam time); older ones are passed over, so turning polling on never books an account's distant
    /// past. In [0, 60]; default 1.
    /// </summary>
    [Range(0, 60)]
    public int LookbackDays { get; set; } = 1;
}
