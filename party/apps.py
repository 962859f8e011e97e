from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "party"
    verbose_name = "党建工作"

    def seed_demo(self) -> list[str]:
        """Give each demo village a small party-member register (8–12 people)."""
        from party.demo import seed_register

        made = seed_register()
        return [f"党员名册:新登记 {made} 人"] if made else []
