using WasmKube.Wasi.Abi;

namespace WasmKube.Wasi.Tests.Adversarial;

/// <summary>What the probe guest printed: the errno of each command and what it learned (lines "= i errno", "> i text").</summary>
public sealed class ProbeTranscript
{
    public ProbeTranscript(string output)
    {
        Output = output;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length < 3 || !int.TryParse(parts[1], out var index)) continue;
            if (parts[0] == "=") Results[index] = (Errno)int.Parse(parts[2]);
            else if (parts[0] == ">") Learned.Add((index, parts[2]));
        }
    }

    public string Output { get; }

    /// <summary>Errno by command number (1-based, as argv).</summary>
    public Dictionary<int, Errno> Results { get; } = [];

    public List<(int Command, string Text)> Learned { get; } = [];
}
