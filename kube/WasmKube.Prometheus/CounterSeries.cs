namespace WasmKube.Prometheus;

/// <summary>One series of a <see cref="Counter"/>. Thread-safe.</summary>
public sealed class CounterSeries
{
    private double _value;

    public double Value => Volatile.Read(ref _value);

    public void Inc(double amount = 1)
    {
        if (amount < 0 || double.IsNaN(amount)) throw new ArgumentOutOfRangeException(nameof(amount), amount, "a counter can only increase");
        AtomicDouble.Add(ref _value, amount);
    }

    /// <summary>Sets the counter to a total read elsewhere (e.g. cgroup CPU time); it must not go down.</summary>
    public void IncTo(double total)
    {
        double current;
        do
        {
            current = Volatile.Read(ref _value);
            if (total <= current) return;
        }
        while (Interlocked.CompareExchange(ref _value, total, current) != current);
    }
}
