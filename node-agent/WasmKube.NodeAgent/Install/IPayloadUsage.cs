namespace WasmKube.NodeAgent.Install;

/// <summary>Tells whether an installed payload version still runs somewhere on the node.</summary>
public interface IPayloadUsage
{
    bool IsInUse(string version);
}
