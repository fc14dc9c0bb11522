namespace WasmKube.Kube.Controllers;

/// <summary>Values of the <c>result</c> label of controller_runtime_reconcile_total, as controller-runtime spells them.</summary>
public static class ReconcileOutcome
{
    public const string Success = "success";
    public const string Error = "error";
    public const string Requeue = "requeue";
    public const string RequeueAfter = "requeue_after";

    public static readonly IReadOnlyList<string> All = [Success, Error, Requeue, RequeueAfter];
}
