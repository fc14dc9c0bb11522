namespace WasmKube.NodeAgent.Containerd;

/// <summary>The result of an edit: the new text and whether it differs from the old one.</summary>
public sealed record ConfigEdit(string Text, bool Changed);
