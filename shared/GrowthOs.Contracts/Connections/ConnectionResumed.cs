namespace GrowthOs.Contracts.Connections;

public record ConnectionResumed(ConnectionSnapshot Connection) : IConnectionEvent;
