namespace GrowthOs.Connector.Connections;

/// <summary>Wakes the publisher when this process wrote an event, so a change leaves at once rather than at the next scan.</summary>
public sealed class ConnectionEventSignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Raise()
    {
        if (_pulse.CurrentCount > 0) return;
        try
        {
            _pulse.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another change woke it already.
        }
    }

    public Task<bool> Wait(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}
