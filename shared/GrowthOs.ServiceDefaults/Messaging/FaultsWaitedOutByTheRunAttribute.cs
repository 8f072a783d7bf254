namespace GrowthOs.ServiceDefaults.Messaging;

/// <summary>
/// Marks a consumer of a run's command whose faults the run handles itself: a transient one (the database restarting,
/// the store away) it waits out durably and sends the command again; any other fails the run with its reason. A copy of
/// such a message in the consumer's error queue would need no one, so a transient fault's copy is not kept there (its
/// <c>Fault</c> event is still published, which is what the run acts on); any other fault's copy is.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class FaultsWaitedOutByTheRunAttribute : Attribute;
