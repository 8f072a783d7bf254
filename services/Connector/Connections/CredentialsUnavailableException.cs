namespace GrowthOs.Connector.Connections;

public sealed class CredentialsUnavailableException(string message) : Exception(message);
