namespace GrowthOs.Contracts.Connections;

/// <summary>A shop or an account of a shop was connected (or connected again after it was disconnected).</summary>
public record ConnectionConnected(ConnectionSnapshot Connection) : IConnectionEvent;
