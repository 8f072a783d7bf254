namespace GrowthOs.Contracts.Connections;

/// <summary>What every connection event carries: the connection as it now is.</summary>
public interface IConnectionEvent
{
    ConnectionSnapshot Connection { get; }
}
