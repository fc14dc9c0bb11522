namespace WasmKube.Prometheus;

internal static class AtomicDouble
{
    public static void Add(ref double target, double amount)
    {
        double current;
        do
        {
            current = Volatile.Read(ref target);
        }
        while (Interlocked.CompareExchange(ref target, current + amount, current) != current);
    }
}
