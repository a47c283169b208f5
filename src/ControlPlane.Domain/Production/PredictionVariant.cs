namespace ControlPlane.Domain.Production;

/// <summary>Which traffic a prediction served: the live version, a shadow scored beside it, or a canary split.</summary>
public enum PredictionVariant
{
    Primary,
    Shadow,
    Canary,
}
