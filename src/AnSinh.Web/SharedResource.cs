namespace AnSinh.Web;

/// <summary>Marker for the UI strings in Resources/SharedResource*.resx (Vietnamese neutral, English satellite).</summary>
public sealed class SharedResource;
