namespace WasmKube.Shim.Tasks;

/// <summary>Life of one process of a task (containerd's task Status without the pause states).</summary>
public enum ProcessState
{
    Created,
    Running,
    Stopped,
}
