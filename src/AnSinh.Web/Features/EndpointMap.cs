using AnSinh.Web.Features.Home;
using AnSinh.Web.Features.Places;

namespace AnSinh.Web.Features;

/// <summary>Every feature's minimal API group, under /api/v1. Each group or endpoint names its policy.</summary>
public static class EndpointMap
{
    public static void MapApis(IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1");
        PlacesApi.Map(v1);
        SummaryApi.Map(v1);
        Rules.RulesApi.Map(v1);
        Registry.RegistryApi.Map(v1);
        Registry.Import.ImportApi.Map(v1);
        Payment.PaymentApi.Map(v1);
        Payroll.PayrollApi.Map(v1);
        Disbursement.DisbursementApi.Map(v1);
        Oversight.Reports.Map(v1);
        Grievances.GrievanceApi.Map(v1);
    }
}
