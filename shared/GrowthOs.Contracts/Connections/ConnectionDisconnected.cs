namespace GrowthOs.Contracts.Connections;

/// <summary>The connection was deleted or its app uninstalled: its schedules stopped and its credentials destroyed.</summary>
public record ConnectionDisconnected(ConnectionSnapshot Connection) : IConnectionEvent;
