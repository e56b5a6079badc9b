/// Enabling a webhook where seed 004 enables it: on an offline or DNI campaign, or on a call
/// treatment option, at the beginning or the end of the call. The webhook is then scoped to the
/// places it is enabled on (any of its campaigns, any of its treatment options) and sent on that
/// moment of the call.
extension WebhookSettings {
    public enum CallMoment: String, Sendable, CaseIterable {
        case beginning, end

        public var trigger: EventKind { self == .beginning ? .callBegin : .callEnd }
    }

    public func enabled(onCampaign campaign: Campaign, at moment: CallMoment) -> WebhookSettings {
        var settings = self
        switch campaign.kind {
        case .offline: if !settings.scope.campaigns.contains(campaign.id) { settings.scope.campaigns.append(campaign.id) }
        case .dni: if !settings.scope.dniCampaigns.contains(campaign.id) { settings.scope.dniCampaigns.append(campaign.id) }
        }
        if !settings.triggers.contains(moment.trigger) { settings.triggers.append(moment.trigger) }
        return settings
    }

    /// No longer scoped to the campaign. A webhook enabled on no campaign any more is sent for
    /// every campaign's calls, as before it was enabled on one.
    public func disabled(onCampaign id: String) -> WebhookSettings {
        var settings = self
        settings.scope.campaigns.removeAll { $0 == id }
        settings.scope.dniCampaigns.removeAll { $0 == id }
        return settings
    }

    /// Treatment options are known once the call ends: the webhook is sent at the end.
    public func enabled(onTreatment option: TreatmentOption) -> WebhookSettings {
        var settings = self
        if !settings.scope.treatments.contains(option) { settings.scope.treatments.append(option) }
        if !settings.triggers.contains(.callEnd) { settings.triggers.append(.callEnd) }
        return settings
    }

    public func disabled(onTreatment option: TreatmentOption) -> WebhookSettings {
        var settings = self
        settings.scope.treatments.removeAll { $0 == option }
        return settings
    }
}
