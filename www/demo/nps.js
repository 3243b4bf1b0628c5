// The demo shop's NPS question after a purchase (0-10), sent as a survey event.
(function () {
  var scale = document.querySelector("#nps .scale");
  for (var score = 0; score <= 10; score++) {
    var button = document.createElement("button");
    button.textContent = score;
    button.dataset.score = score;
    scale.appendChild(button);
  }
  scale.addEventListener("click", function (event) {
    var score = event.target.dataset.score;
    if (score === undefined) return;
    supportKpi("track", { type: "survey", kind: "nps", score: Number(score) });
    document.getElementById("nps").textContent = "Thanks for your feedback!";
  });
})();
