using MassTransit;

namespace GrowthOs.ServiceDefaults.Messaging;

/// <summary>A consumer's publishes with <see cref="PublishDeadline"/>'s deadline.</summary>
public static class ConsumePublishing
{
    /// <summary>
    /// Publishes <paramref name="message"/> from a consumer, giving up after <see cref="PublishDeadline.Default"/>: a
    /// publish left waiting on a connection wedged by a broker restart then fails the consume (which is retried on a new
    /// channel and, the message being unacknowledged, is never lost) instead of holding its receive endpoint for good.
    /// </summary>
    public static Task PublishWithin<T>(this ConsumeContext context, T message) where T : class =>
        PublishDeadline.Within(token => context.Publish(message, token), context.CancellationToken);
}
