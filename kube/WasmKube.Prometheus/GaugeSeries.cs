namespace WasmKube.Prometheus;

/// <summary>One series of a <see cref="Gauge"/>. Thread-safe.</summary>
public sealed class GaugeSeries
{
    private double _value;

    public double Value => Volatile.Read(ref _value);

    public void Set(double value) => Volatile.Write(ref _value, value);

    public void Inc(double amount = 1) => AtomicDouble.Add(ref _value, amount);

    public void Dec(double amount = 1) => AtomicDouble.Add(ref _value, -amount);
}
