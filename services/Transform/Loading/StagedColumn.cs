namespace GrowthOs.Transform.Loading;

/// <summary>
/// A column of a staged table: its name and how a record's value is written to a binary COPY. The constructor taken by
/// the value's type picks the PostgreSQL type (bigint, integer, text, timestamptz), so a value is written unboxed.
/// </summary>
public sealed class StagedColumn<T>
{
    public string Name { get; }
    public Action<BinaryCopyWriter, T> Write { get; }

    private StagedColumn(string name, Action<BinaryCopyWriter, T> write) => (Name, Write) = (name, write);

    public StagedColumn(string name, Func<T, long> value) : this(name, (w, r) => w.Bigint(value(r))) { }
    public StagedColumn(string name, Func<T, long?> value) : this(name, (w, r) => w.Bigint(value(r))) { }
    public StagedColumn(string name, Func<T, int> value) : this(name, (w, r) => w.Integer(value(r))) { }
    public StagedColumn(string name, Func<T, int?> value) : this(name, (w, r) => w.Integer(value(r))) { }
    public StagedColumn(string name, Func<T, string?> value) : this(name, (w, r) => w.Text(value(r))) { }
    public StagedColumn(string name, Func<T, DateTimeOffset> value) : this(name, (w, r) => w.Timestamp(value(r))) { }
    public StagedColumn(string name, Func<T, DateTimeOffset?> value) : this(name, (w, r) => w.Timestamp(value(r))) { }
}
