using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Connections;

public sealed class CredentialsUnavailableException(string message) : Exception(message);
