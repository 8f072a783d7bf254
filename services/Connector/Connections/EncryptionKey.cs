namespace GrowthOs.Connector.Connections;

public sealed class EncryptionKey
{
    public string Id { get; set; } = "";

    public string Key { get; set; } = "";

    public byte[]? Bytes()
    {
        try
        {
            var bytes = Convert.FromBase64String(Key);
            return bytes.Length == 32 ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Id} (key redacted)";
}
