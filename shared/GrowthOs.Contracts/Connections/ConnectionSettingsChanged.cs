namespace GrowthOs.Contracts.Connections;

/// <summary>A connection's settings changed, or its check found something new (its status, its time zone, its name).</summary>
public record ConnectionSettingsChanged(ConnectionSnapshot Connection) : IConnectionEvent;
