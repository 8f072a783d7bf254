namespace GrowthOs.Contracts.Connections;

/// <summary>A person paused the connection: its schedules fire no run until it is resumed.</summary>
public record ConnectionPaused(ConnectionSnapshot Connection) : IConnectionEvent;
