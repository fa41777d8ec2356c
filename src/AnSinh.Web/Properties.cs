using System.Resources;
using System.Runtime.Versioning;

// A Linux server: the local cluster and file modes use Unix APIs.
[assembly: SupportedOSPlatform("linux")]
[assembly: NeutralResourcesLanguage("vi")]
