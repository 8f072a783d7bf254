namespace GrowthOs.IngestSaga.Outbox;

/// <summary>Wakes the publisher when a unit of work holding events was saved, so events do not wait for its next scan.</summary>
public sealed class SagaEventSignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Pulse()
    {
        if (_pulse.CurrentCount == 0)
        {
            try
            {
                _pulse.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another save woke it already.
            }
        }
    }

    public Task<bool> Wait(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}
