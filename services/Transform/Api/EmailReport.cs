namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /api/marketing/email</c>: e-mail's figures of the period and of the period before with their change,
/// the same split by kind (flows and campaigns), each e-mail of the period (most revenue first), its days, and the shop's
/// 30-day sending statistics.
/// </summary>
public sealed record EmailReport(string Shop, DateOnly From, DateOnly To, DateOnly PreviousFrom, DateOnly PreviousTo, string? CurrencyCode,
    EmailFigures Current, EmailFigures Previous, IReadOnlyDictionary<string, decimal?> Change, IReadOnlyDictionary<string, EmailFigures> ByKind,
    IReadOnlyList<EmailMessageFigures> Messages, IReadOnlyList<EmailDay> Days, SendingStats? SendingStats);
