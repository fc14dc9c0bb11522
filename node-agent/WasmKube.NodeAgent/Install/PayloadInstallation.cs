namespace WasmKube.NodeAgent.Install;

/// <summary>
/// The outcome of an install or a rollback: the version now current, whether its files were copied, whether the
/// current link moved, the version before it (kept for a rollback), and the versions removed as unused.
/// </summary>
public sealed record PayloadInstallation(string Version, bool Copied, bool Switched, string? Previous, IReadOnlyList<string> Removed);
