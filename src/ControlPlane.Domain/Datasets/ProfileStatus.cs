namespace ControlPlane.Domain.Datasets;

public enum ProfileStatus
{
    Pending,
    Running,
    Ready,
    Failed,
}
