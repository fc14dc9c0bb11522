namespace WasmKube.Bench.Kernels;

/// <summary>Command line of the runner.</summary>
internal sealed record Options(string BuildFolder, string V8Driver, int Runs, IReadOnlySet<string> Only, string Node)
{
    public static Options? Parse(IReadOnlyList<string> args)
    {
        string? build = null, driver = null, node = "node";
        var runs = 3;
        var only = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--build": build = value; break;
                case "--v8-driver": driver = value; break;
                case "--node": node = value; break;
                case "--runs" when int.TryParse(value, out var n) && n > 0: runs = n; break;
                case "--only": only.UnionWith(value.Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                default: return null;
            }
        }

        if (args.Count % 2 != 0 || build is null || driver is null)
        {
            return null;
        }

        var unknown = only.Except(Kernel.All.Select(k => k.Name)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown kernel(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Kernel.All.Select(k => k.Name))}");
            return null;
        }

        return new Options(Path.GetFullPath(build), Path.GetFullPath(driver), runs, only, node);
    }
}
