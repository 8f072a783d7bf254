using System.ComponentModel.DataAnnotations;

namespace GrowthOs.ServiceDefaults.Messaging;

public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required(ErrorMessage = "RabbitMq:Host is required.")]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "RabbitMq:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 5672;

    [Required(ErrorMessage = "RabbitMq:VirtualHost is required.")]
    public string VirtualHost { get; set; } = "/";

    /// <summary>The broker's login: from a secret or the environment, never a default (appsettings.Development.json has the local broker's).</summary>
    [Required(ErrorMessage = "RabbitMq:Username is required (the broker's login has no default).")]
    public string Username { get; set; } = "";

    [Required(ErrorMessage = "RabbitMq:Password is required (the broker's login has no default).")]
    public string Password { get; set; } = "";

    /// <summary>Attempts of an immediate in-process retry before a message goes to the _error queue.</summary>
    [Range(0, 20, ErrorMessage = "RabbitMq:RetryLimit must be between 0 and 20.")]
    public int RetryLimit { get; set; } = 5;

    [Range(1, 600_000, ErrorMessage = "RabbitMq:RetryIntervalMilliseconds must be between 1 and 600000.")]
    public int RetryIntervalMilliseconds { get; set; } = 200;

    /// <summary>
    /// Declare every receive endpoint's queue as a quorum queue (replicated across a cluster of three or more brokers).
    /// A queue already declared classic must be drained and deleted first: the broker refuses to change a queue's type.
    /// </summary>
    public bool QuorumQueues { get; set; }

    /// <summary>A bus unhealthy this long ends the process, to be started again with a new connection (see <see cref="BusWatchdog"/>).</summary>
    [Range(10, 86_400, ErrorMessage = "RabbitMq:UnhealthyExitSeconds must be between 10 and 86400.")]
    public int UnhealthyExitSeconds { get; set; } = 180;
}
